"""Optional outputs: spreadsheets (openpyxl) and plots (matplotlib), imported lazily."""
