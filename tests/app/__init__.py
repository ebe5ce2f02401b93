"""App tests: AppTest runs of every page and flow, the ecomap HTML, exports, and a real browser."""
