-- When a row was last written (first write, or a rebuild writing it again): after a rebuild,
-- rows it did not write again and that no live write touched since it began are swept.

ALTER TABLE snapshots ADD COLUMN written_at timestamptz NOT NULL DEFAULT now();
