
        ALTER TABLE development_steps ADD COLUMN entitled INTEGER CHECK (entitled IS NULL OR entitled >= 0);
        ALTER TABLE development_steps ADD COLUMN present INTEGER CHECK (present IS NULL OR present >= 0);
        ALTER TABLE development_steps ADD COLUMN excluded INTEGER CHECK (excluded IS NULL OR excluded >= 0);
        ALTER TABLE development_steps ADD COLUMN excluded_note TEXT NOT NULL DEFAULT ''
        