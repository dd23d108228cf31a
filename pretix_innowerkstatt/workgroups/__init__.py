"""Work-phase groups: attendees choose a challenge at checkout and meet in that group's room."""
