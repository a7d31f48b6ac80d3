CREATE TABLE `content_items` (
	`user_id` text NOT NULL,
	`content_id` text NOT NULL,
	`created_event_id` text,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	PRIMARY KEY(`user_id`, `content_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `content_items_user_deleted_idx` ON `content_items` (`user_id`,`deleted_at`);--> statement-breakpoint
CREATE TABLE `job_watermarks` (
	`name` text PRIMARY KEY NOT NULL,
	`at` integer DEFAULT 0 NOT NULL,
	`key` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `audit_events` ADD `category` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `success` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `error_message` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `target_user` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `session_id` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `country` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `risk_score` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `requires_review` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `reviewed_at` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `reviewed_by` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `review_note` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `alerted_at` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_external_id_unique` ON `audit_events` (`external_id`);--> statement-breakpoint
CREATE INDEX `audit_events_target_created_idx` ON `audit_events` (`target_user`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_review_created_idx` ON `audit_events` (`requires_review`,`reviewed_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_risk_created_idx` ON `audit_events` (`risk_score`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_ip_failures_idx` ON `audit_events` (`ip`,`created_at`) WHERE success = 0;--> statement-breakpoint
CREATE INDEX `audit_events_user_country_idx` ON `audit_events` (`user_id`,`country`);--> statement-breakpoint
CREATE INDEX `audit_events_reviewed_by_idx` ON `audit_events` (`reviewed_by`) WHERE reviewed_by IS NOT NULL;--> statement-breakpoint
CREATE INDEX `audit_events_alert_pending_idx` ON `audit_events` (`created_at`) WHERE alerted_at IS NULL AND (severity = 'critical' OR requires_review = 1);