CREATE TABLE `question_relations` (
	`question_id` text NOT NULL,
	`related_id` text NOT NULL,
	`kind` text NOT NULL,
	PRIMARY KEY(`question_id`, `related_id`),
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`related_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
