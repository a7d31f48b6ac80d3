ALTER TABLE `password_history` ADD `ip` text;--> statement-breakpoint
ALTER TABLE `password_history` ADD `via` text;--> statement-breakpoint
CREATE INDEX `users_mfa_deleted_joined_idx` ON `users` (`mfa_enabled`,`deleted_at`,`date_joined`);