
        ALTER TABLE meetings ADD COLUMN review_year INTEGER
            CHECK (review_year IS NULL OR review_year BETWEEN 1921 AND 2200)
        