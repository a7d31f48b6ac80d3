CREATE TABLE `blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`blocker_id` text NOT NULL,
	`blocked_id` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`blocker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`blocked_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blocks_pair_unique` ON `blocks` (`blocker_id`,`blocked_id`);--> statement-breakpoint
CREATE INDEX `blocks_blocker_created_idx` ON `blocks` (`blocker_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `follows` (
	`id` text PRIMARY KEY NOT NULL,
	`follower_id` text NOT NULL,
	`followed_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`follower_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`followed_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follows_pair_unique` ON `follows` (`follower_id`,`followed_id`);--> statement-breakpoint
CREATE INDEX `follows_followed_status_created_idx` ON `follows` (`followed_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `follows_follower_status_created_idx` ON `follows` (`follower_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `professional_profiles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`phone` text DEFAULT '' NOT NULL,
	`website` text DEFAULT '' NOT NULL,
	`business_address` text DEFAULT '' NOT NULL,
	`company_name` text DEFAULT '' NOT NULL,
	`job_title` text DEFAULT '' NOT NULL,
	`years_experience` integer DEFAULT 0 NOT NULL,
	`certifications` text DEFAULT '[]' NOT NULL,
	`services_offered` text DEFAULT '[]' NOT NULL,
	`is_verified` integer DEFAULT false NOT NULL,
	`verified_at` integer,
	`verified_by` text,
	`verification_note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `professional_profiles_verified_created_idx` ON `professional_profiles` (`is_verified`,`created_at`);--> statement-breakpoint
CREATE TABLE `user_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email_notifications` integer DEFAULT true NOT NULL,
	`push_notifications` integer DEFAULT true NOT NULL,
	`warranty_expiry_notifications` integer DEFAULT true NOT NULL,
	`maintenance_reminder_notifications` integer DEFAULT true NOT NULL,
	`notification_frequency` text DEFAULT 'immediate' NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`theme` text DEFAULT 'system' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`mature_content` integer DEFAULT false NOT NULL,
	`auto_play_videos` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `profiles` ADD `display_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `cover_media_url` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `cover_media_type` text DEFAULT 'image' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `date_of_birth` text;--> statement-breakpoint
ALTER TABLE `profiles` ADD `city` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `country` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `account_type` text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `profile_visibility` text DEFAULT 'public' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `show_email` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `show_phone` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `show_location` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `is_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `is_suspended` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `suspension_reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `follower_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `following_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `posts_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `badge_points` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `total_badges` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `last_active` integer;--> statement-breakpoint
ALTER TABLE `profiles` ADD `engagement_score` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `content_quality_score` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `interaction_frequency` real DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `profiles_display_name_lower_idx` ON `profiles` (lower("display_name"));--> statement-breakpoint
CREATE INDEX `profiles_country_idx` ON `profiles` (`country`);