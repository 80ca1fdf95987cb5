// Roster
