import Directory
