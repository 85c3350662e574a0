CREATE TABLE `join_blocks` (
	`ip_hash` text PRIMARY KEY NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `sessions` ADD `max_players` integer DEFAULT 200 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `blocked_words` text DEFAULT '[]' NOT NULL;