-- Edited by hand after drizzle-kit: SQLite ALTER TABLE ADD COLUMN keeps ON DELETE actions only when written out, and drizzle-kit 0.31 drops them.
CREATE TABLE `classes` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `classes_owner` ON `classes` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `quiz_questions` (
	`quiz_id` text NOT NULL,
	`position` integer NOT NULL,
	`question_id` text NOT NULL,
	PRIMARY KEY(`quiz_id`, `position`),
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quizzes` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`title` text NOT NULL,
	`settings` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quizzes_owner` ON `quizzes` (`owner_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `roster_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roster_entries_name` ON `roster_entries` (`class_id`,`name`);--> statement-breakpoint
CREATE TABLE `user_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_sessions_user` ON `user_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email` ON `users` (`email`);--> statement-breakpoint
ALTER TABLE `participants` ADD `question_order` text;--> statement-breakpoint
ALTER TABLE `participants` ADD `roster_id` text REFERENCES roster_entries(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `questions` ADD `owner_id` text REFERENCES users(id) ON DELETE cascade;--> statement-breakpoint
CREATE INDEX `questions_owner` ON `questions` (`owner_id`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `owner_id` text REFERENCES users(id) ON DELETE cascade;--> statement-breakpoint
ALTER TABLE `sessions` ADD `class_id` text REFERENCES classes(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `sessions` ADD `quiz_id` text REFERENCES quizzes(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `sessions` ADD `shuffle_questions` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `shuffle_options` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `feedback` text DEFAULT 'now' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `show_leaderboard` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `locked` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `opens_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `closes_at` integer;--> statement-breakpoint
CREATE INDEX `sessions_owner` ON `sessions` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sessions_class` ON `sessions` (`class_id`,`created_at`);