"""The agreement pages: agreements (list, detail, form, workflow actions, obligations),
pdf (summaries, one or many) and budget (programme periods and the budget overview)."""
