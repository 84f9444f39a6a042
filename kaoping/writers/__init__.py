"""Writers: what a notice's outputs look like on disk (JSON/Parquet, Excel/CSV, the HTML report) and the
atomic output folder they are written into. Writers read what the pipeline computed; they compute nothing."""
