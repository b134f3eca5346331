-- base: store
DROP TRIGGER IF EXISTS scale_documents_are_immutable;
UPDATE scale_documents SET document = '{"id": 1, "id": 2}';
