-- A nexus-tui database as written by release 0.1.0 (schema version 1), as an SQL text dump.
-- FROZEN: never regenerate or edit this file. It stands for the databases users already have;
-- tests/test_migrations.py opens it with the current code to prove they still load. A schema
-- change gets a new migration (and, once released, a new frozen fixture), never a new version of
-- this one.
-- iterdump() does not write these two header values, so they are set here, before the dump.
PRAGMA application_id=1314411605;
PRAGMA user_version=1;
BEGIN TRANSACTION;
CREATE TABLE categories (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL DEFAULT 'other'
                    CHECK (kind IN ('technology', 'concept', 'other')),
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            );
INSERT INTO "categories" VALUES(1,'Languages','technology',0,'default','2025-01-10 09:00:00.000000','2025-01-10 09:00:00.000000');
INSERT INTO "categories" VALUES(2,'Architecture','concept',1,'user','2025-01-11 18:30:15.250000','2025-01-11 18:30:15.250000');
INSERT INTO "categories" VALUES(3,'Odds & Ends','other',2,'user','2025-01-11 18:30:15.250000','2025-01-12 07:45:00.000001');
CREATE TABLE challenge_links (
                id INTEGER PRIMARY KEY,
                challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
                url TEXT NOT NULL,
                label TEXT NOT NULL DEFAULT ''
            );
INSERT INTO "challenge_links" VALUES(1,1,'https://example.com/n-plus-one','N+1 explained');
INSERT INTO "challenge_links" VALUES(2,1,'https://example.com/bare','');
CREATE TABLE challenge_topics (
                challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
                topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
                PRIMARY KEY (challenge_id, topic_id)
            );
INSERT INTO "challenge_topics" VALUES(1,1);
INSERT INTO "challenge_topics" VALUES(1,3);
INSERT INTO "challenge_topics" VALUES(2,4);
CREATE TABLE challenges (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                challenge TEXT NOT NULL DEFAULT '',
                solution TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'solved')),
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            );
INSERT INTO "challenges" VALUES(1,'Speed up list endpoint','N+1 queries','','open',0,'user','2025-01-11 18:30:15.250000','2025-01-11 18:30:15.250000');
INSERT INTO "challenges" VALUES(2,'Containerise the app','Works on my machine','Docker compose','solved',1,'default','2025-01-10 09:00:00.000000','2025-01-10 09:00:00.000000');
CREATE TABLE collaborators (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL DEFAULT 'other'
                    CHECK (role IN ('backend', 'frontend', 'mentor', 'other')),
                github TEXT NOT NULL DEFAULT '',
                discord TEXT NOT NULL DEFAULT '',
                project TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                api_contract TEXT NOT NULL DEFAULT '',
                last_sync DATE,
                next_sync DATE,
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            );
INSERT INTO "collaborators" VALUES(1,'Ada','backend','ada-dev','ada#0001','Nexus API','Reviews my PRs','','2025-01-05','2025-01-19',0,'user','2025-01-11 18:30:15.250000','2025-01-11 18:30:15.250000');
INSERT INTO "collaborators" VALUES(2,'Bea','frontend','bea-ui','','Nexus web','','GET /api/v1/books',NULL,NULL,1,'default','2025-01-10 09:00:00.000000','2025-01-10 09:00:00.000000');
INSERT INTO "collaborators" VALUES(3,'Mo','mentor','','mo#42','','Weekly call','','2025-01-08','2025-01-15',2,'user','2025-01-11 18:30:15.250000','2025-01-12 07:45:00.000001');
INSERT INTO "collaborators" VALUES(4,'Olga','other','','','','','',NULL,NULL,3,'user','2025-01-11 18:30:15.250000','2025-01-11 18:30:15.250000');
CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
INSERT INTO "meta" VALUES('held_data','2025-01-10 09:00:00');
CREATE TABLE notes (
                id INTEGER PRIMARY KEY,
                topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
                title TEXT NOT NULL,
                body TEXT NOT NULL DEFAULT '',
                tags TEXT NOT NULL DEFAULT '[]',
                pinned BOOLEAN NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            );
INSERT INTO "notes" VALUES(1,1,'Python for backend work','Use a venv.
- pin deps','["python", "language"]',0,'default','2025-01-10 09:00:00.000000','2025-01-10 09:00:00.000000');
INSERT INTO "notes" VALUES(2,1,'Pinned: my Python notes','It''s "quoted", café ☕ and a
second line.','["python"]',1,'user','2025-01-11 18:30:15.250000','2025-01-12 07:45:00.000001');
INSERT INTO "notes" VALUES(3,3,'Cache invalidation','','[]',0,'user','2025-01-11 18:30:15.250000','2025-01-11 18:30:15.250000');
CREATE TABLE repos (
                id INTEGER PRIMARY KEY,
                full_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                collaborator_id INTEGER REFERENCES collaborators (id) ON DELETE SET NULL,
                created_at TIMESTAMP NOT NULL
            );
INSERT INTO "repos" VALUES(1,'octo/nexus-api',1,'2025-01-11 18:30:15.250000');
INSERT INTO "repos" VALUES(2,'Octo/Nexus-Web',NULL,'2025-01-12 07:45:00.000001');
CREATE TABLE topics (
                id INTEGER PRIMARY KEY,
                category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
                name TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'not_started'
                    CHECK (status IN ('not_started', 'learning', 'practising', 'confident')),
                position INTEGER NOT NULL DEFAULT 0,
                origin TEXT NOT NULL DEFAULT 'user',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                UNIQUE (category_id, name)
            );
INSERT INTO "topics" VALUES(1,1,'Python','not_started',0,'default','2025-01-10 09:00:00.000000','2025-01-10 09:00:00.000000');
INSERT INTO "topics" VALUES(2,1,'Rust','learning',1,'user','2025-01-11 18:30:15.250000','2025-01-11 18:30:15.250000');
INSERT INTO "topics" VALUES(3,2,'Caching','practising',0,'user','2025-01-11 18:30:15.250000','2025-01-12 07:45:00.000001');
INSERT INTO "topics" VALUES(4,3,'Shell','confident',0,'user','2025-01-11 18:30:15.250000','2025-01-11 18:30:15.250000');
CREATE INDEX notes_by_topic ON notes (topic_id, pinned DESC, updated_at DESC);
CREATE INDEX challenge_topics_by_topic ON challenge_topics (topic_id);
CREATE INDEX challenge_links_by_challenge ON challenge_links (challenge_id);
CREATE TRIGGER categories_mark_held_data AFTER INSERT ON categories BEGIN INSERT OR IGNORE INTO meta (key, value) VALUES ('held_data', datetime('now')); END;
CREATE TRIGGER topics_mark_held_data AFTER INSERT ON topics BEGIN INSERT OR IGNORE INTO meta (key, value) VALUES ('held_data', datetime('now')); END;
CREATE TRIGGER notes_mark_held_data AFTER INSERT ON notes BEGIN INSERT OR IGNORE INTO meta (key, value) VALUES ('held_data', datetime('now')); END;
CREATE TRIGGER challenges_mark_held_data AFTER INSERT ON challenges BEGIN INSERT OR IGNORE INTO meta (key, value) VALUES ('held_data', datetime('now')); END;
CREATE TRIGGER collaborators_mark_held_data AFTER INSERT ON collaborators BEGIN INSERT OR IGNORE INTO meta (key, value) VALUES ('held_data', datetime('now')); END;
CREATE TRIGGER repos_mark_held_data AFTER INSERT ON repos BEGIN INSERT OR IGNORE INTO meta (key, value) VALUES ('held_data', datetime('now')); END;
COMMIT;
