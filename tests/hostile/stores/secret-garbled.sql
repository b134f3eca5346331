-- base: store
UPDATE store_meta SET value = 'not hex';
