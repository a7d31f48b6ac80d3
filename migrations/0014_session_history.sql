CREATE TABLE `session_history` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`absolute_expires_at` integer NOT NULL,
	`ip` text DEFAULT '' NOT NULL,
	`user_agent` text,
	`device` text,
	`device_type` text DEFAULT '' NOT NULL,
	`browser` text DEFAULT '' NOT NULL,
	`os` text DEFAULT '' NOT NULL,
	`country` text DEFAULT '' NOT NULL,
	`city` text DEFAULT '' NOT NULL,
	`colo` text DEFAULT '' NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_history_user_idx` ON `session_history` (`user_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `session_history_ended_idx` ON `session_history` (`ended_at`);--> statement-breakpoint
CREATE INDEX `session_history_open_idx` ON `session_history` (`expires_at`) WHERE ended_at IS NULL;--> statement-breakpoint
ALTER TABLE `daily_stats` ADD `active_users` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_stats` ADD `sessions_ended` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_stats` ADD `avg_session_seconds` integer DEFAULT 0 NOT NULL;