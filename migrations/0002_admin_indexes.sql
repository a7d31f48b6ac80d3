CREATE INDEX `audit_events_actor_created_idx` ON `audit_events` (`actor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `users_deleted_joined_idx` ON `users` (`deleted_at`,`date_joined`);--> statement-breakpoint
CREATE INDEX `users_role_deleted_joined_idx` ON `users` (`role`,`deleted_at`,`date_joined`);--> statement-breakpoint
CREATE INDEX `users_active_deleted_joined_idx` ON `users` (`is_active`,`deleted_at`,`date_joined`);--> statement-breakpoint
CREATE INDEX `users_verified_deleted_joined_idx` ON `users` (`email_verified`,`deleted_at`,`date_joined`);--> statement-breakpoint
CREATE INDEX `users_first_name_lower_idx` ON `users` (lower("first_name"));--> statement-breakpoint
CREATE INDEX `users_last_name_lower_idx` ON `users` (lower("last_name"));