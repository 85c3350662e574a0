CREATE TABLE `rate_limits` (
	`purpose` text NOT NULL,
	`key` text NOT NULL,
	`tokens` real NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`purpose`, `key`)
);
--> statement-breakpoint
CREATE INDEX `rate_limits_purpose_at` ON `rate_limits` (`purpose`,`at`);--> statement-breakpoint
CREATE TABLE `server_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
DROP TABLE `code_guesses`;