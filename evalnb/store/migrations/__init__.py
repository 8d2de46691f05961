"""The store's schema history as Alembic migrations; :func:`evalnb.store.sql.open_store` upgrades a store to
the newest revision on first use (a store made before migrations existed is stamped as the baseline)."""
