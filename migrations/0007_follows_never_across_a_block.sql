-- A follow (or request) never exists across a block, whatever the race: a block's batch
-- deletes follows both ways, and this refuses a follow inserted after a block committed
-- between the follow's visibility check and its batch (the batch then rolls back whole).
CREATE TRIGGER `follows_never_across_a_block`
BEFORE INSERT ON `follows`
WHEN EXISTS (
  SELECT 1 FROM `blocks`
  WHERE (`blocker_id` = NEW.`follower_id` AND `blocked_id` = NEW.`followed_id`)
     OR (`blocker_id` = NEW.`followed_id` AND `blocked_id` = NEW.`follower_id`)
)
BEGIN
  SELECT RAISE(ABORT, 'follow_across_block');
END;
