"""auditor: supply-chain forced-labour risk auditor built on the UN.GIFT Vienna Forum report (2008)."""

__version__ = "0.1.0"
