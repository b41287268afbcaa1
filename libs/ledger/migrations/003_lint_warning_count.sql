-- How many lint warnings each version has, kept beside them. The Postgres read model counts them
-- for every version row it writes; reading the count from the findings meant fetching and
-- decompressing the whole list, which grows with the diagram (~24 KB a version at 80 KB).
ALTER TABLE ledger_events
  ADD COLUMN lint_warning_count integer GENERATED ALWAYS AS (jsonb_array_length(lint_warnings)) STORED;
