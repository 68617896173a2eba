# man pages
dist_man_MANS += man/salvage.1
