"""Many department-years at once: jobs, workers, params files."""
