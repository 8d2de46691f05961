"""evalnb: 部门整体支出绩效自评报告 from department-year workbooks, through parameterized notebooks."""

__version__ = "0.1.0"
