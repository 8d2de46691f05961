"""From a workbook file to a Submission: file and package safety, sheets within bounds, records, ingest, the blank workbook."""
