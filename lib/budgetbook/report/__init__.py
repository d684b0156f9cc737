"""What the notebooks show: report tables, charts, Excel workbooks and safe file names."""
