CREATE TABLE `answers` (
	`participant_id` text NOT NULL,
	`question_id` text NOT NULL,
	`session_id` text NOT NULL,
	`position` integer NOT NULL,
	`response` text,
	`correct` integer NOT NULL,
	`points` integer NOT NULL,
	`time_ms` integer NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`participant_id`, `question_id`),
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `answers_session` ON `answers` (`session_id`,`answered_at`);--> statement-breakpoint
CREATE INDEX `answers_session_question` ON `answers` (`session_id`,`question_id`);--> statement-breakpoint
CREATE TABLE `participants` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`nickname` text NOT NULL,
	`nickname_key` text NOT NULL,
	`token_hash` text NOT NULL,
	`joined_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`served_at` integer,
	`score` integer DEFAULT 0 NOT NULL,
	`correct_count` integer DEFAULT 0 NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `participants_token` ON `participants` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `participants_nickname` ON `participants` (`session_id`,`nickname_key`);--> statement-breakpoint
CREATE INDEX `participants_leaderboard` ON `participants` (`session_id`,"score" DESC,`finished_at`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`topics` text NOT NULL,
	`difficulty` integer NOT NULL,
	`data` text NOT NULL,
	`origin` text DEFAULT 'bank' NOT NULL,
	`retired` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `session_questions` (
	`session_id` text NOT NULL,
	`position` integer NOT NULL,
	`question_id` text NOT NULL,
	PRIMARY KEY(`session_id`, `position`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_questions_question` ON `session_questions` (`session_id`,`question_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`time_limit_sec` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`teacher_key_hash` text NOT NULL,
	`teacher_key_expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_open_code` ON `sessions` (`code`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `sessions_code` ON `sessions` (`code`,`created_at`);