
        CREATE TABLE transfers (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            serial TEXT NOT NULL DEFAULT '',
            serial_year INTEGER,
            serial_number INTEGER CHECK (serial_number IS NULL OR serial_number > 0),
            member_id INTEGER NOT NULL REFERENCES members(id),
            addressee TEXT NOT NULL DEFAULT '',
            from_unit TEXT NOT NULL DEFAULT '',
            to_unit TEXT NOT NULL DEFAULT '',
            dues_paid_to TEXT CHECK (dues_paid_to IS NULL OR dues_paid_to GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            validity_days INTEGER CHECK (validity_days IS NULL OR validity_days BETWEEN 1 AND 90),
            issued_on TEXT NOT NULL,
            receipt_on TEXT,
            applied_on TEXT,
            activist_on TEXT,
            candidate_on TEXT,
            joined_on TEXT,
            full_on TEXT,
            status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'cancelled')),
            cancel_reason TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (direction = 'in' OR (serial_year IS NOT NULL AND serial_number IS NOT NULL))
        ) STRICT;
        CREATE UNIQUE INDEX transfers_out_serial ON transfers(serial_year, serial_number) WHERE direction = 'out';
        CREATE INDEX transfers_member ON transfers(member_id);

        CREATE TABLE mobile_periods (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            province TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '',
            county TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            started_on TEXT NOT NULL,
            expected_return_on TEXT,
            ended_on TEXT,
            end_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (ended_on IS NULL OR ended_on >= started_on)
        ) STRICT;
        CREATE INDEX mobile_periods_member ON mobile_periods(member_id);

        CREATE TABLE member_events (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL CHECK (kind IN ('lost_contact', 'contact_restored', 'suspended', 'reinstated',
                                               'expelled', 'deceased')),
            happened_on TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX member_events_member ON member_events(member_id)
        