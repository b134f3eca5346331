-- base: store
PRAGMA user_version = 99;
