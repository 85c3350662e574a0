ALTER TABLE `sessions` ADD `mode` text DEFAULT 'self' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `lang` text DEFAULT 'both' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `partial_credit` integer DEFAULT false NOT NULL;