# Thin aliases for tasks.py (which needs nothing but Python 3.11 and works without make).
.PHONY: lab test setup execute lint
lab:
	python3 tasks.py lab
test:
	python3 tasks.py test
setup:
	python3 tasks.py setup
execute:
	python3 tasks.py execute
lint:
	python3 tasks.py lint
