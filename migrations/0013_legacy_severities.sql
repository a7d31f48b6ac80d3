-- Issue 14: severities are low|medium|high|critical; rows written before say info|warning.
-- Code reads the old values too (src/audit/severity.ts), so rows written during a deploy stay right.
UPDATE `audit_events` SET `severity` = 'low' WHERE `severity` = 'info';--> statement-breakpoint
UPDATE `audit_events` SET `severity` = 'medium' WHERE `severity` = 'warning';--> statement-breakpoint
-- Failures were recorded as separate types before `success` existed.
UPDATE `audit_events` SET `success` = 0 WHERE `type` IN ('login_failed', 'otp_failed', 'email_verification_failed');
