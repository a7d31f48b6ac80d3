ALTER TABLE `mail_deliveries` ADD `recipient` text;--> statement-breakpoint
ALTER TABLE `mail_deliveries` ADD `mime_message_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `mail_deliveries_mime_message_id_idx` ON `mail_deliveries` (`mime_message_id`);