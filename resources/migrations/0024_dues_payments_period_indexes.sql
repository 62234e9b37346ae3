
        CREATE INDEX dues_payments_period ON dues_payments(month, member_id, due_fen, paid_fen, paid_on);
        CREATE INDEX dues_payments_paid_on ON dues_payments(paid_on, member_id, due_fen, paid_fen);
        DROP INDEX dues_payments_month
        