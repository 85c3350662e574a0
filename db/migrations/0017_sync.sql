CREATE TABLE `cloud_links` (
	`user_id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`token` text NOT NULL,
	`cloud_account` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `link_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_tokens_hash` ON `link_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `link_tokens_user` ON `link_tokens` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sync_receipts` (
	`session_id` text PRIMARY KEY NOT NULL,
	`cursor` text,
	`completed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_sends` (
	`session_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`closed_at` integer NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`message` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
