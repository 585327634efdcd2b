"""Customer care (客户关怀): greetings for birthdays and festivals, and the plugins' reminders."""
