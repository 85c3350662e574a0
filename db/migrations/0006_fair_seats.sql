CREATE TABLE `code_guesses` (
	`ip_hash` text PRIMARY KEY NOT NULL,
	`tokens` real NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
DROP TABLE `join_blocks`;--> statement-breakpoint
ALTER TABLE `participants` ADD `network_key` text;--> statement-breakpoint
ALTER TABLE `participants` ADD `device_key` text;--> statement-breakpoint
CREATE INDEX `participants_network` ON `participants` (`session_id`,`network_key`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `seats_per_network` integer DEFAULT 80 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `id_salt` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Sessions from before opaque ids get a secret of their own (a shared empty one would make ids travel).
UPDATE `sessions` SET `id_salt` = lower(hex(randomblob(16))) WHERE `id_salt` = '';
