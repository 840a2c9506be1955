"""The static lesson site (issue 17): every lesson as a page that runs by itself, on any static host.

``export`` writes the site (``netwise export-site``); ``keys`` gives each activity's answer-key
data to the browser engine (widgets/js/src/site); ``text`` holds the site's own strings.
"""
