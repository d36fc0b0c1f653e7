"""Reading: bytes -> :class:`~skillmatch.models.Document`.

Format sniffing and the readers (PDF, DOCX, ODT/RTF/HTML, text), hidden-text screens, section
headings and redaction. Nothing here knows about skills or jobs.
"""
