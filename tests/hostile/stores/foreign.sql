-- base: empty
CREATE TABLE foo (x);
INSERT INTO foo VALUES (1);
