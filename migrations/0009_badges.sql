CREATE TABLE `badges` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`category` text NOT NULL,
	`icon` text DEFAULT '' NOT NULL,
	`color` text DEFAULT '' NOT NULL,
	`image_url` text DEFAULT '' NOT NULL,
	`criteria` text NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`rarity` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `badges_slug_unique` ON `badges` (`slug`);--> statement-breakpoint
CREATE INDEX `badges_active_category_idx` ON `badges` (`is_active`,`category`);--> statement-breakpoint
CREATE TABLE `user_badges` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`badge_id` text NOT NULL,
	`earned_at` integer NOT NULL,
	`is_featured` integer DEFAULT false NOT NULL,
	`progress_data` text DEFAULT '{}' NOT NULL,
	`awarded_by` text,
	`reason` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`badge_id`) REFERENCES `badges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_badges_user_badge_unique` ON `user_badges` (`user_id`,`badge_id`);--> statement-breakpoint
CREATE INDEX `user_badges_earned_idx` ON `user_badges` (`earned_at`);--> statement-breakpoint
CREATE INDEX `user_badges_badge_earned_idx` ON `user_badges` (`badge_id`,`earned_at`);--> statement-breakpoint
CREATE INDEX `user_badges_user_featured_idx` ON `user_badges` (`user_id`,`is_featured`);--> statement-breakpoint
CREATE INDEX `profiles_badge_points_idx` ON `profiles` (`badge_points`);