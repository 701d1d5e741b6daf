-- Operations: PDPA erasure of append-only texts.
--
-- The case chronology and the audit log stay append-only: every UPDATE and DELETE is still refused, with one
-- exception that a data subject's erasure request needs. The free text of a row (`detail`) may be replaced by
-- the fixed line below, and nothing else about the row may change: its id, time, actor and kind stay, so the
-- history keeps its shape and its counts. Any other UPDATE, and every DELETE, is refused as before.
-- The line must match `ERASED_TEXT` in src/ops/pdpa.rs.

DROP TRIGGER case_events_no_update;
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
WHEN NOT (
    NEW.detail IS 'ลบตามคำขอของเจ้าของข้อมูล (PDPA) · erased on request'
    AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.at = OLD.at
    AND NEW.actor_id IS OLD.actor_id AND NEW.kind = OLD.kind
)
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    NEW.detail IS 'ลบตามคำขอของเจ้าของข้อมูล (PDPA) · erased on request'
    AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action
    AND NEW.entity = OLD.entity AND NEW.entity_id IS OLD.entity_id
)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
