"""What a reviewer sees: the report context, findings and checks, problems the data shows, the memo, the drafted workbook."""
