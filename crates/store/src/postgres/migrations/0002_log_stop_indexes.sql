-- Range listings ask for logs with `started_at < to AND (stopped_at IS NULL
-- OR stopped_at > from)`. For "this week" the selective half is the stop:
-- with these indexes PostgreSQL combines the running-log index (stopped_at
-- IS NULL) and a stop range scan instead of reading the employee's or the
-- organization's whole history up to `to`.
CREATE INDEX time_logs_employee_stopped_idx ON time_logs (employee_id, stopped_at);
CREATE INDEX time_logs_org_stopped_idx ON time_logs (org_id, stopped_at);
