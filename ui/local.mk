# ui: the ncurses front end
