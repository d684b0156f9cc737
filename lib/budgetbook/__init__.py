"""budgetbook: Chinese government budget disclosures into checked tidy data and reports."""

__version__ = "0.1.0"
