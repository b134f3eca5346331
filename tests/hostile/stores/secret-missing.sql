-- base: store
DELETE FROM store_meta;
