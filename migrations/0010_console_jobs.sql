ALTER TABLE `password_history` ADD `ip` text;--> statement-breakpoint
ALTER TABLE `password_history` ADD `via` text;--> statement-breakpoint
CREATE INDEX `users_mfa_deleted_joined_idx` ON `users` (`mfa_enabled`,`deleted_at`,`date_joined`);--> statement-breakpoint
CREATE INDEX `users_deleted_email_idx` ON `users` (`deleted_at`,`email`);--> statement-breakpoint
CREATE INDEX `users_deleted_username_idx` ON `users` (`deleted_at`,`username_key`);