ALTER TABLE `sessions` ADD `allow_guests` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Teachers could link two seats of a session to one roster name: the earliest seat keeps it, so that the index can hold.
UPDATE `participants` SET `roster_id` = NULL WHERE `roster_id` IS NOT NULL AND EXISTS (SELECT 1 FROM `participants` p WHERE p.`session_id` = `participants`.`session_id` AND p.`roster_id` = `participants`.`roster_id` AND (p.`joined_at` < `participants`.`joined_at` OR (p.`joined_at` = `participants`.`joined_at` AND p.`id` < `participants`.`id`)));--> statement-breakpoint
CREATE UNIQUE INDEX `participants_roster` ON `participants` (`session_id`,`roster_id`) WHERE roster_id IS NOT NULL;
