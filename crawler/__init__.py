"""The Scrapy project: one generic spider driven by the config, extractors, and pipelines
that write facts to the store. It fetches and extracts; it never judges (that is `rules/`)."""
